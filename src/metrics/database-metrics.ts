import type { Connection, mongo } from 'mongoose';
import type { Histogram } from 'prom-client';

type CommandOutcome = 'succeeded' | 'failed';

/**
 * Times every database command through the driver's command monitoring (the connection
 * needs `monitorCommands: true`). Labelled by command name only: filters and collection
 * names, which carry organization names, never become labels.
 */
export function observeDatabaseCommands(
  connection: Connection,
  duration: Histogram<'command' | 'outcome'>,
): void {
  const client = connection.getClient();
  const observe =
    (outcome: CommandOutcome) => (event: mongo.CommandSucceededEvent | mongo.CommandFailedEvent) =>
      duration.observe({ command: event.commandName, outcome }, event.duration / 1000);
  client.on('commandSucceeded', observe('succeeded'));
  client.on('commandFailed', observe('failed'));
}
