/** The names of the tasks a compiled saga adds to its steps (docs/sagas.md#the-net). */
export const BEGIN = 'saga_begin'
export const CANCEL = 'saga_cancel'
export const FINISH = 'saga_finish'
export const ABORT = 'saga_abort'
export const CONCLUDE = 'saga_conclude'
export const compensationTask = (step: string) => `compensate_${step}`
