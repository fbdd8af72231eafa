/** What a server connection is doing, and what the connected server allows for tasks. */

/** Which protocol generation a connected server speaks for tasks, and what it allows. */
export interface TaskCapabilities {
  readonly generation: '2025-11-25' | '2026-07-28' | 'none';
  /** `tasks/list` is declared: the server can enumerate tasks. */
  readonly list: boolean;
  /** `tasks/cancel` is declared. */
  readonly cancel: boolean;
  /** Task-augmented `tools/call` is declared. */
  readonly toolCall: boolean;
}

export type ConnectionState =
  | { readonly kind: 'connecting'; readonly attempt: number }
  | {
      readonly kind: 'connected';
      readonly serverName?: string;
      readonly serverVersion?: string;
      /** 'http' may have fallen back to 'sse'. */
      readonly transport: 'stdio' | 'http' | 'sse';
      readonly capabilities: TaskCapabilities;
    }
  | { readonly kind: 'failed'; readonly reason: string; readonly retryAt?: number }
  | { readonly kind: 'disconnected'; readonly reason?: string };
