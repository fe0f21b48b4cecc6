import type { WebRequest } from 'webextension-polyfill';
import { DEFAULT_API_BASE, HEADERS, isRecordId } from '../../shared/protocol.js';

export interface LoupeHeaders {
  id: string;
  /** Absolute URL of the API base. */
  api: string;
}

function header(headers: WebRequest.HttpHeaders | undefined, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers?.find((candidate) => candidate.name.toLowerCase() === lower)?.value;
}

/** The Loupe headers of a response, or null when it was not recorded (or the id is malformed). */
export function loupeHeaders(headers: WebRequest.HttpHeaders | undefined, url: string): LoupeHeaders | null {
  const id = header(headers, HEADERS.id)?.trim();
  if (!isRecordId(id)) return null;
  try {
    return { id, api: new URL(header(headers, HEADERS.api)?.trim() || DEFAULT_API_BASE, url).href };
  } catch {
    return null;
  }
}

/** A main-frame response saved to disk leaves the page where it is. */
export function isDownload(headers: WebRequest.HttpHeaders | undefined): boolean {
  return /^\s*attachment/i.test(header(headers, 'Content-Disposition') ?? '');
}
