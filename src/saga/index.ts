/** Sagas (docs/sagas.md): steps with compensations, compiled to ordinary tasknet nets. */
export { saga, SagaBuilder, type Saga } from './builder'
export { sagaApi, getSagaResult, type SagaResult, type SagaStepResult } from './api'
export type { CompensationContext, CompensationFailure, CompensationOrder, SagaOptions, StepContext, StepSpec, ServiceStep } from './define'
export { step, compensates, sagaFromClass, type StepOptions, type CompensatesOptions, type SagaClassOptions } from './decorators'
