import { z } from 'zod'
import { saga } from 'tasknet'
import type { Id } from '../../convex/_generated/dataModel.js'

/**
 * A booking as a saga: hold a seat, charge the card, confirm. When a step fails, the steps that completed are
 * compensated newest first: the seat is released, so a declined card leaves no hold behind.
 */
export const bookingSaga = saga('booking', { order: 'lifo' })
  .input(z.object({ flight: z.string(), card: z.string() }))
  .step('holdSeat', {
    action: async ({ mutationCtx, input }) => ({ seatId: await mutationCtx.db.insert('seats', { flight: input.flight, state: 'held' }) }),
    compensate: async ({ mutationCtx, output }) => {
      await mutationCtx.db.delete((output as { seatId: Id<'seats'> }).seatId)
    },
  })
  // A step reads the outputs of the step before it (`outputs`), so each passes on what the next one needs.
  .step('chargeCard', {
    action: async ({ input, outputs }) => {
      if (input.card === 'declined') throw new Error('card declined')
      return { chargeId: `ch_${input.flight}`, ...(outputs['holdSeat'] as { seatId: Id<'seats'> }) }
    },
    compensate: null,
  })
  .step('confirm', {
    action: async ({ mutationCtx, outputs }) => {
      await mutationCtx.db.patch((outputs['chargeCard'] as { seatId: Id<'seats'> }).seatId, { state: 'booked' })
    },
    compensate: null,
  })
  .build()
