import type { StreamableHandlerResponse } from '@nestjs/common/file-stream/interfaces/streamable-handler-response.interface';

/**
 * For a StreamableFile whose first chunk is read before the answer starts (so an early
 * failure is an ordinary error answer): a later failure cuts the connection, so a client
 * never takes a truncated download for a complete one. Nest's default would end the
 * response normally, or send the error's own message.
 */
export function abortOnStreamError(error: Error, response: StreamableHandlerResponse): void {
  if (!response.destroyed) response.destroy?.(error);
}
