/** Sagas (docs/sagas.md): steps with compensations, compiled to ordinary tasknet nets. */
export { saga, SagaBuilder, type Saga } from './builder'
export { sagaApi, sagaFunctions, getSagaResult, type SagaResult, type SagaStepResult } from './api'
export { sagaFromJson, type SagaRegistry, type JsonSagaDefinition, type JsonCompensationBuilder } from './json'
export { deleteCreated, restoreFields, incrementBack, refundCharge, type RefundRequest, type ValuePath } from './compensations'
export type { Compensation, CompensationContext, CompensationFailure, CompensationOrder, LocalAction, SagaOptions, StepContext, StepSpec, ServiceStep } from './define'
export { step, compensates, sagaFromClass, type StepOptions, type CompensatesOptions, type SagaClassOptions } from './decorators'
