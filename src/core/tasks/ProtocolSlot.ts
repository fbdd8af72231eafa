/**
 * The protocol of the current connection, or none while disconnected. Whoever sent a request on one
 * connection checks `isCurrent` before acting on a failure: an error from a connection that has since
 * gone is not news about the task (the next connection asks again).
 */
import type { TaskProtocol } from '../protocol/TaskProtocol';
import { TaskRequestError } from '../util/errors';

export class ProtocolSlot {
  private protocol?: TaskProtocol;

  constructor(private readonly notConnected: () => TaskRequestError = () => new TaskRequestError('the server is not connected')) {}

  get current(): TaskProtocol | undefined {
    return this.protocol;
  }

  /** The connected protocol; throws a `TaskRequestError` saying why there is none. */
  require(): TaskProtocol {
    if (!this.protocol) {
      throw this.notConnected();
    }
    return this.protocol;
  }

  isCurrent(protocol: TaskProtocol): boolean {
    return this.protocol === protocol;
  }

  set(protocol: TaskProtocol | undefined): void {
    this.protocol = protocol;
  }
}
