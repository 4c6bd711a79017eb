import type { DigestEncoding, HmacAlgorithm, HmacConfig } from '../../shared/verify-config';
import type { RawDelivery } from '../delivery/raw-delivery';
import { decodeDigest } from '../signing/digests';
import type { SecretReading } from './secret-keys';

/** One signature the delivery carries, as the scheme reads it. */
export interface ReceivedSignature {
  /** Header name as received. */
  header: string;
  /** Digest text after any prefix, as sent. */
  text: string;
  /** Encoding the scheme says the digest is in. */
  encoding: DigestEncoding;
  /** HMAC hash the scheme says was used. */
  algorithm: HmacAlgorithm;
  /** `text` decoded with `encoding`, or null when it is not in that encoding. */
  bytes: Buffer | null;
}

/** Bytes a sender may have signed: the parts are fed to the HMAC in order, without copying the body. */
export interface SignedPayload {
  parts: (Buffer | string)[];
  /** What this candidate is, when a scheme has several (Twilio's URL with / without port). */
  label?: string;
}

/** A different payload the doctor tries: a mistake specific to the scheme. */
export interface PayloadAlternative {
  cause: string;
  hint: string;
  payload: SignedPayload;
  facts?: Record<string, unknown>;
}

/** What a scheme finds in a delivery. */
export interface SchemeReading {
  signatures: ReceivedSignature[];
  /** Why there is nothing to check (names the headers expected); set when `signatures` is empty. */
  missing?: string;
  /** A signature header is there but its syntax is off (missing prefix…); reported if nothing matches. */
  malformed?: string;
  /** A signature is there but cannot be checked at all (Stripe without `t=`): the verdict is invalid. */
  unusable?: string;
  /** Signatures ignored on purpose (Stripe `v0=`, Standard Webhooks `v1a,`), for the verdict. */
  ignored?: string[];
  /** The signed timestamp, unix seconds as sent, when the scheme signs one. */
  timestamp?: { header: string; value: string };
  /** Every payload the sender may have signed, given a body (the doctor passes altered bodies). */
  payloads(body: Buffer): SignedPayload[];
  /** A check of the body beyond the HMAC (Twilio's `bodySHA256`); returns why it fails, or null. */
  bodyCheck?(body: Buffer): string | null;
  /** Scheme-specific mistakes for the doctor (Twilio: the URL as a proxy changed it). */
  alternatives?(body: Buffer): PayloadAlternative[];
}

/** An HMAC signature scheme: a preset, or `custom` built from config. */
export interface HmacScheme {
  /** Verdict scheme name, e.g. `hmac:github`. */
  name: string;
  /** How configured secrets become key bytes. */
  secretReading: SecretReading;
  /** Freshness window when the config gives none, seconds; null when no timestamp is signed. */
  defaultToleranceSec: number | null;
  read(delivery: RawDelivery, config: HmacConfig): SchemeReading;
}

/** A received signature, decoded. */
export function received(header: string, text: string, encoding: DigestEncoding, algorithm: HmacAlgorithm): ReceivedSignature {
  return { header, text, encoding, algorithm, bytes: decodeDigest(text, encoding) };
}

/** Values of every header with one of these names, with the name as received, in arrival order. */
export function headerEntries(delivery: RawDelivery, names: readonly string[]): [string, string][] {
  const wanted = names.map((name) => name.toLowerCase());
  return delivery.headers.filter(([name]) => wanted.includes(name.toLowerCase()));
}

/** Strips a prefix matched case-insensitively (`sha256=`, `v0=`), or returns null when absent. */
export function afterPrefix(value: string, prefix: string): string | null {
  const trimmed = value.trim();
  return trimmed.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase() ? trimmed.slice(prefix.length) : null;
}
