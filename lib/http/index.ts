/** Shared pieces of the REST clients: errors, the response checker, paging, retry. */
export { type DatedText, Fields, ShapeError } from './check';
export {
  ApiError,
  type ApiErrorInit,
  type ApiErrorKind,
  InputError,
  isApiError,
  type Provider,
} from './errors';
export type { Page } from './page';
export { backoffDelay, parseRetryAfter } from './retry';
export type { HttpOptions } from './transport';
