/** One message on its way out. `messageId` is the same on every attempt of the same delivery. */
export interface OutgoingEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly messageId: string;
}

export interface OutgoingSms {
  readonly to: string;
  readonly body: string;
  /** Sent as the provider's idempotency key, so a provider that honours one drops the repeat. */
  readonly messageId: string;
}

/** Resolves once the provider has accepted the message; rejects when it refused or was unreachable. */
export interface EmailChannel {
  send(email: OutgoingEmail): Promise<void>;
  close?(): void;
}

export interface SmsChannel {
  send(sms: OutgoingSms): Promise<void>;
}
