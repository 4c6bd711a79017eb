import type { HmacPreset } from '../../../../../shared/verify-config';
import type { Draft, Scheme } from '../utils/draft';
import { Field, type Patch } from './field';

const PRESETS: ReadonlyArray<{ value: HmacPreset; label: string }> = [
  { value: 'github', label: 'GitHub (X-Hub-Signature-256)' },
  { value: 'stripe', label: 'Stripe (Stripe-Signature)' },
  { value: 'slack', label: 'Slack (X-Slack-Signature)' },
  { value: 'shopify', label: 'Shopify (X-Shopify-Hmac-Sha256)' },
  { value: 'standard-webhooks', label: 'Standard Webhooks / Svix' },
  { value: 'twilio', label: 'Twilio (X-Twilio-Signature)' },
  { value: 'meta', label: 'Meta / WhatsApp (X-Hub-Signature-256)' },
  { value: 'sendgrid', label: 'SendGrid (ECDSA public key)' },
  { value: 'custom', label: 'Custom HMAC' },
];

interface Props {
  draft: Draft;
  patch: Patch<Draft>;
  /** Mask of the stored secret for the chosen scheme (`••••1a2b3c4d`), if one is stored. */
  storedSecret: string | undefined;
}

/** Signature verification: scheme, preset and the write-only secret. */
export function VerifyForm({ draft, patch, storedSecret }: Props) {
  const needsSecret = !(draft.scheme === 'hmac' && draft.preset === 'sendgrid') && !(draft.scheme === 'jwt' && draft.jwtKeyType !== 'secret');
  return (
    <div className="form">
      <div className="field-row">
        <Field label="Check">
          <select className="select" value={draft.scheme} onChange={(e) => patch({ scheme: e.target.value as Scheme, secret: '' })}>
            <option value="none">Nothing (verification off)</option>
            <option value="hmac">Signature header (HMAC preset)</option>
            <option value="jwt">JWT bearer token</option>
            <option value="headerToken">Static header token</option>
          </select>
        </Field>
        <Field label="Mode" hint="Enforce answers 401 to anything not valid; observe only records it.">
          <select className="select" value={draft.scheme === 'none' ? 'off' : draft.verifyMode} disabled={draft.scheme === 'none'}
            onChange={(e) => patch({ verifyMode: e.target.value as Draft['verifyMode'] })}>
            <option value="off">Off</option>
            <option value="observe">Observe</option>
            <option value="enforce">Enforce</option>
          </select>
        </Field>
      </div>
      {draft.scheme === 'hmac' && (
        <div className="field-row">
          <Field label="Platform">
            <select className="select" value={draft.preset} onChange={(e) => patch({ preset: e.target.value as HmacPreset })}>
              {PRESETS.map((p) => <option key={p.value} value={p.value}>{p.label}</option>)}
            </select>
          </Field>
          <Field label="Timestamp tolerance (s)" hint="Empty: the preset's default; 0 disables the check.">
            <input className="input" type="number" min={0} value={draft.toleranceSec} onChange={(e) => patch({ toleranceSec: e.target.value })} />
          </Field>
        </div>
      )}
      {draft.scheme === 'hmac' && draft.preset === 'custom' && (
        <fieldset className="fieldset">
          <legend>Custom scheme</legend>
          <div className="field-row">
            <Field label="Signature header"><input className="input mono" value={draft.customHeader} placeholder="X-Signature" onChange={(e) => patch({ customHeader: e.target.value })} /></Field>
            <Field label="Algorithm">
              <select className="select" value={draft.customAlgorithm} onChange={(e) => patch({ customAlgorithm: e.target.value as Draft['customAlgorithm'] })}>
                <option value="sha256">HMAC-SHA256</option><option value="sha512">HMAC-SHA512</option><option value="sha1">HMAC-SHA1</option>
              </select>
            </Field>
            <Field label="Encoding">
              <select className="select" value={draft.customEncoding} onChange={(e) => patch({ customEncoding: e.target.value as Draft['customEncoding'] })}>
                <option value="hex">hex</option><option value="base64">base64</option>
              </select>
            </Field>
          </div>
          <div className="field-row">
            <Field label="Prefix"><input className="input mono" value={draft.customPrefix} placeholder="sha256=" onChange={(e) => patch({ customPrefix: e.target.value })} /></Field>
            <Field label="Signed payload" hint="{body}, {timestamp}, {id}, {url}"><input className="input mono" value={draft.customTemplate} placeholder="{timestamp}.{body}" onChange={(e) => patch({ customTemplate: e.target.value })} /></Field>
            <Field label="Timestamp header"><input className="input mono" value={draft.customTimestampHeader} onChange={(e) => patch({ customTimestampHeader: e.target.value })} /></Field>
          </div>
        </fieldset>
      )}
      {draft.scheme === 'hmac' && draft.preset === 'sendgrid' && (
        <Field label="Verification key" hint="The public key SendGrid shows (base64 or PEM). It is public, so it is shown.">
          <textarea className="textarea" rows={4} value={draft.publicKey} onChange={(e) => patch({ publicKey: e.target.value })} />
        </Field>
      )}
      {draft.scheme === 'jwt' && (
        <div className="field-row">
          <Field label="Key type">
            <select className="select" value={draft.jwtKeyType} onChange={(e) => patch({ jwtKeyType: e.target.value as Draft['jwtKeyType'], secret: '' })}>
              <option value="secret">Shared secret (HS*)</option><option value="pem">Public key, PEM</option><option value="jwk">Public key, JWK (JSON)</option><option value="jwksUrl">JWKS URL</option>
            </select>
          </Field>
          <Field label="Algorithms" hint="Comma-separated; empty: all the key allows."><input className="input mono" value={draft.jwtAlgorithms} placeholder="RS256" onChange={(e) => patch({ jwtAlgorithms: e.target.value })} /></Field>
          <Field label="Issuer"><input className="input" value={draft.jwtIssuer} onChange={(e) => patch({ jwtIssuer: e.target.value })} /></Field>
          <Field label="Audience"><input className="input" value={draft.jwtAudience} onChange={(e) => patch({ jwtAudience: e.target.value })} /></Field>
        </div>
      )}
      {draft.scheme === 'jwt' && draft.jwtKeyType !== 'secret' && (
        <Field label={draft.jwtKeyType === 'pem' ? 'Public key (PEM)' : draft.jwtKeyType === 'jwk' ? 'Public key (JWK JSON)' : 'JWKS URL'}>
          {draft.jwtKeyType === 'pem' || draft.jwtKeyType === 'jwk'
            ? <textarea className="textarea" rows={5} value={draft.jwtKey} onChange={(e) => patch({ jwtKey: e.target.value })} />
            : <input className="input mono" value={draft.jwtKey} placeholder="https://example.com/.well-known/jwks.json" onChange={(e) => patch({ jwtKey: e.target.value })} />}
        </Field>
      )}
      {draft.scheme === 'headerToken' && (
        <Field label="Header name"><input className="input mono" value={draft.tokenHeader} placeholder="X-Webhook-Token" onChange={(e) => patch({ tokenHeader: e.target.value })} /></Field>
      )}
      {draft.scheme !== 'none' && needsSecret && (draft.scheme === 'headerToken' ? (
        <Field label="Expected value"
          hint={storedSecret ? <>Stored: <code>{storedSecret}</code> (fingerprint). Leave empty to keep it; the value is never shown again.</> : 'The exact value the platform sends in that header. Write-only: once saved, only a fingerprint is shown.'}>
          <input className="input mono" type="password" autoComplete="new-password" value={draft.secret}
            placeholder={storedSecret ? 'Leave empty to keep the stored value' : 'The value the header must carry'} onChange={(e) => patch({ secret: e.target.value })} />
        </Field>
      ) : (
        <Field label="Secret"
          hint={storedSecret ? <>Stored: <code>{storedSecret}</code> (fingerprint). Leave empty to keep it; secrets are never shown again.</> : 'Write-only: once saved, only a fingerprint is shown.'}>
          <input className="input mono" type="password" autoComplete="new-password" value={draft.secret}
            placeholder={storedSecret ? 'Leave empty to keep the stored secret' : 'Paste the signing secret'} onChange={(e) => patch({ secret: e.target.value })} />
        </Field>
      ))}
    </div>
  );
}
