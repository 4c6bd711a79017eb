import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// axe-core's browser build, evaluated in the page over the DevTools protocol (the inspector's
// Content-Security-Policy allows no injected <script>, and must not be loosened for a test).
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One serious or critical accessibility problem on a screen. */
export interface AxeViolation {
  screen: string;
  rule: string;
  impact: string;
  help: string;
  /** CSS selectors of the offending elements, with axe's summary of why. */
  nodes: string[];
}

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>;
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules and best practices) on the page as it is, or only on the
 * elements `scope` selects (an open dialog: the page behind it was audited on its own); returns the
 * serious and critical violations.
 */
export async function auditPage(page: Page, screen: string, scope?: string): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const context = scope ? `{ include: [[${JSON.stringify(scope)}]] }` : 'document';
  const result = (await page.evaluate(`window.axe.run(${context}, { resultTypes: ['violations'] })`)) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      screen,
      rule: v.id,
      impact: v.impact ?? '',
      help: v.help,
      nodes: v.nodes.slice(0, 6).map((n) => `${n.target.join(' ')} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240)}`),
    }));
}

/** Violations as a readable report (the assertion message when any is found). */
export function describeViolations(violations: readonly AxeViolation[]): string {
  return violations.map((v) => `[${v.impact}] ${v.screen}: ${v.rule} (${v.help})\n    ${v.nodes.join('\n    ')}`).join('\n');
}
