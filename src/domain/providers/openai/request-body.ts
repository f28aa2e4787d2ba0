import type OpenAI from 'openai';
import { SYSTEM_PROMPT, userMessage } from './prompt.ts';

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type ChatRequest = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;

/** Marks where the patient's data goes in the encoded first request; it contains nothing JSON escapes. */
const SLOT = '@@tenderly-patient-data@@';

/**
 * The chat completion request as JSON. The first call's text is encoded once (system prompt, code list, response
 * schema: ~7 kB) with a slot for the patient's data, so a call only escapes that data; the SDK sends a byte body
 * as it is. JSON escapes a string character by character, so the slot's escaped data gives the same text as
 * encoding the whole request. The first call's body is bytes, not a string: it is held for the whole call (for a
 * retry), and outside the JS heap the garbage collector neither scans nor copies it.
 */
export class ChatRequestEncoder {
  private readonly head: Buffer;
  private readonly tail: Buffer;

  constructor(private readonly fields: Omit<ChatRequest, 'messages'>) {
    const parts = this.encode(firstMessages(SLOT)).split(SLOT);
    if (parts.length !== 2) throw new Error('the request template must hold exactly one patient-data slot');
    this.head = Buffer.from(parts[0]!, 'utf8');
    this.tail = Buffer.from(parts[1]!, 'utf8');
  }

  /** The first call, UTF-8: the system prompt and the user message around `data` (from `patientData`). */
  first(data: string): Buffer {
    return Buffer.concat([this.head, Buffer.from(JSON.stringify(data).slice(1, -1), 'utf8'), this.tail]);
  }

  /** Any conversation (the repair call), encoded whole. */
  encode(messages: ChatMessage[]): string {
    const { model, ...rest } = this.fields;
    return JSON.stringify({ model, messages, ...rest } satisfies ChatRequest);
  }
}

/** The messages of the first call. */
export function firstMessages(data: string): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM_PROMPT },
    { role: 'user', content: userMessage(data) },
  ];
}
