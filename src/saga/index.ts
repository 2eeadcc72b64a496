/** Sagas (docs/sagas.md): steps with compensations, compiled to ordinary tasknet nets. */
export { saga, SagaBuilder, type Saga } from './builder'
export { sagaApi, getSagaResult, type SagaResult, type SagaStepResult } from './api'
export type { CompensationContext, CompensationFailure, CompensationOrder, SagaOptions, StepContext, StepSpec, ServiceStep } from './define'
export { sagaStep, compensates, sagaFromClass, type SagaStepOptions, type CompensatesOptions, type SagaClassOptions } from './decorators'
