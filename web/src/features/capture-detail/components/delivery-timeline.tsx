import type { CaptureView } from '../../../../../shared/capture';
import { formatExact } from '../../../lib/format';
import { delaysOf, describeSchedule, formatDelay, statusText, succeeded } from '../utils/retry-schedule';

const ACTION_TEXT = { response: 'its response', fail: 'an injected failure', drop: 'dropping the connection', timeout: 'holding the connection without an answer' } as const;

/**
 * How this delivery went for its sender: the response rule that answered it, and — when the
 * platform sent it more than once — every attempt with its answer and the delay before it.
 */
export function DeliveryTimeline({ capture }: { capture: CaptureView }) {
  const attempts = capture.deliveryAttempts;
  const rule = capture.rule;
  if (attempts.length < 2 && !rule) return null;
  const delays = delaysOf(attempts);
  const schedule = describeSchedule(attempts);
  return (
    <section className="timeline" aria-label="Delivery attempts">
      {rule && (
        <p className="timeline__rule">
          Answered by rule {rule.index + 1}{rule.name ? ` “${rule.name}”` : ''} with {ACTION_TEXT[rule.action]}
          {rule.attempt !== undefined ? ` (attempt ${rule.attempt} of this delivery)` : ''}.
        </p>
      )}
      {attempts.length > 1 && (
        <>
          <ol className="timeline__list">
            {attempts.map((attempt, i) => (
              <li key={attempt.id} className="timeline__item" aria-current={attempt.id === capture.id ? 'true' : undefined}>
                {i > 0 && <span className="timeline__gap" title="Delay since the previous attempt">+{formatDelay(delays[i - 1] as number)}</span>}
                <span className={`timeline__dot timeline__dot--${succeeded(attempt.status) ? 'ok' : attempt.status === 0 ? 'none' : 'fail'}`} aria-hidden="true" />
                <span className="timeline__label" title={`${formatExact(attempt.receivedAt)} · ${attempt.id}`}>
                  <span className="muted">#{i + 1}</span> <span className="mono">{statusText(attempt.status)}</span>
                  {attempt.id === capture.id && <span className="muted"> · this one</span>}
                </span>
              </li>
            ))}
          </ol>
          {schedule && <p className="timeline__schedule">{schedule}</p>}
        </>
      )}
    </section>
  );
}
