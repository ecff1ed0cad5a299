import mongoose from 'mongoose';

/**
 * Process-wide query hardening, set before any model is compiled:
 * - `sanitizeFilter`: an object that reaches a filter value (`{ email: { $ne: null } }`) is
 *   matched literally and can never act as an operator; the repositories wrap their own,
 *   deliberate operators in `trusted()`.
 * - `strictQuery: 'throw'`: a filter on a path the schema does not know fails, rather than
 *   being dropped (`true`), which would silently widen the query.
 */
export function hardenMongooseQueries(): void {
  mongoose.set('sanitizeFilter', true);
  mongoose.set('strictQuery', 'throw');
  // Not hardening but cost: otherwise every query captures a stack trace (`new Error().stack`,
  // 3% of the CPU of a record read), only to improve one rare error message.
  mongoose.set('skipOriginalStackTraces', true);
}
