import type { ElicitationHandler } from '../../src/core/model/ports';

type Request = Parameters<ElicitationHandler>[0];
type Answer = Awaited<ReturnType<ElicitationHandler>>;

/**
 * An ElicitationHandler the test controls: each request waits until the test answers it (or answers at
 * once with `autoAnswer`), so the test can look at the store while the server waits for input.
 */
export class ScriptedElicitation {
  readonly requests: Request[] = [];
  private readonly waiting: Array<(answer: Answer) => void> = [];
  autoAnswer?: (request: Request) => Answer;

  readonly handler: ElicitationHandler = (request) => {
    this.requests.push(request);
    if (this.autoAnswer) {
      return Promise.resolve(this.autoAnswer(request));
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  };

  get pending(): number {
    return this.waiting.length;
  }

  answerNext(answer: Answer): void {
    const resolve = this.waiting.shift();
    if (!resolve) {
      throw new Error('no elicitation is waiting');
    }
    resolve(answer);
  }

  cancelAll(): void {
    while (this.waiting.length > 0) {
      this.answerNext({ action: 'cancel' });
    }
  }
}
