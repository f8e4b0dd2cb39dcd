// Scheduling fields (spec 1.5): validated and exported, never run by the embedded runtime.
import { isScalar, type Node, type YAMLMap } from 'yaml';
import { keyName, spanOf, valueOf } from '../yaml-nodes';
import type { Span } from '../types';

export interface ScheduleProblem {
  code: 'invalid-schedule' | 'schedule-format';
  message: string;
  span: Span;
  rewrite?: string;
}

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const HH_MM = /^([01]?\d|2[0-3]):[0-5]\d$/;
const WEEKDAY_NAMES: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

function isIsoDateTime(text: string): boolean {
  return ISO_DATE_TIME.test(text) && !Number.isNaN(Date.parse(text));
}

function cronFieldOk(field: string, min: number, max: number): boolean {
  return field.split(',').every((part) => {
    const [range, step] = part.split('/');
    if (step !== undefined && !/^\d+$/.test(step)) return false;
    if (range === '*') return true;
    const bounds = range.split('-');
    if (bounds.length > 2 || !bounds.every((b) => /^\d+$/.test(b))) return false;
    return bounds.every((b) => Number(b) >= min && Number(b) <= max);
  });
}

const CRON_LIMITS: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];

function isCron(text: string): boolean {
  const fields = text.trim().split(/\s+/);
  return fields.length === 5 && fields.every((f, i) => cronFieldOk(f, ...CRON_LIMITS[i]));
}

function listOk(list: string, min: number, max: number): boolean {
  return list.split(',').every((d) => /^\d+$/.test(d) && Number(d) >= min && Number(d) <= max);
}

/** weekly/monthly: `D[,D…] HH:MM`, or the protocol's `@` form (a warning with a rewrite). */
function checkDaysAndTime(kind: 'weekly' | 'monthly', text: string, span: Span): ScheduleProblem | null {
  const [min, max] = kind === 'weekly' ? [1, 7] : [1, 31];
  const expected = kind === 'weekly' ? '`D[,D…] HH:MM` with ISO weekdays 1 (Monday) to 7 (Sunday), e.g. `1,3 09:30`' : '`N[,N…] HH:MM` with days 1 to 31, e.g. `1,15 09:30`';
  const plain = /^(\S+) (\S+)$/.exec(text.trim());
  if (plain && listOk(plain[1], min, max) && HH_MM.test(plain[2])) return null;
  const at = /^([^@\s]+)@(\S+)$/.exec(text.trim());
  if (at && HH_MM.test(at[2])) {
    const days = at[1].split(',').map((d) => (kind === 'weekly' && WEEKDAY_NAMES[d.toLowerCase()] ? String(WEEKDAY_NAMES[d.toLowerCase()]) : d));
    if (listOk(days.join(','), min, max)) {
      const rewrite = `${days.join(',')} ${at[2]}`;
      return {
        code: 'schedule-format',
        message: `apflow's scheduler does not parse \`${text}\`: write the ${kind} schedule as \`${rewrite}\``,
        span,
        rewrite,
      };
    }
  }
  return { code: 'invalid-schedule', message: `\`${text}\` is not a ${kind} schedule: use ${expected}`, span };
}

function checkExpression(type: string, node: Node): ScheduleProblem | null {
  const span = spanOf(node);
  if (!span || !isScalar(node)) return null;
  const text = String(node.value);
  switch (type) {
    case 'once':
      return isIsoDateTime(text) ? null : { code: 'invalid-schedule', message: `\`${text}\` is not an ISO-8601 date-time (e.g. 2026-01-31T09:30:00Z)`, span };
    case 'interval':
      return /^[1-9]\d*$/.test(text) ? null : { code: 'invalid-schedule', message: `\`${text}\` is not a positive number of seconds`, span };
    case 'cron':
      return isCron(text) ? null : { code: 'invalid-schedule', message: `\`${text}\` is not a 5-field cron expression (minute hour day month weekday)`, span };
    case 'daily':
      return HH_MM.test(text) ? null : { code: 'invalid-schedule', message: `\`${text}\` is not a daily time: use \`HH:MM\` (24 h)`, span };
    case 'weekly':
    case 'monthly':
      return checkDaysAndTime(type, text, span);
    default:
      return null;
  }
}

/** Whether `task` has any `schedule_…` key (most tasks have none: one pass over the keys, not six look-ups). */
function hasScheduleKey(task: YAMLMap): boolean {
  for (const pair of task.items) if (keyName(pair)?.startsWith('schedule_')) return true;
  return false;
}

export function scheduleProblems(task: YAMLMap): ScheduleProblem[] {
  if (!hasScheduleKey(task)) return [];
  const problems: ScheduleProblem[] = [];
  const typeNode = valueOf(task, 'schedule_type');
  const expressionNode = valueOf(task, 'schedule_expression');
  const type = isScalar(typeNode) && typeof typeNode.value === 'string' ? typeNode.value : null;
  if (type && expressionNode) {
    const problem = checkExpression(type, expressionNode);
    if (problem) problems.push(problem);
  }
  const enabledNode = valueOf(task, 'schedule_enabled');
  if (isScalar(enabledNode) && enabledNode.value === true && (!typeNode || !expressionNode)) {
    const span = spanOf(enabledNode);
    if (span) problems.push({ code: 'invalid-schedule', message: '`schedule_enabled: true` needs both `schedule_type` and `schedule_expression`', span });
  }
  const dates: Record<string, number> = {};
  for (const key of ['schedule_start_at', 'schedule_end_at']) {
    const node = valueOf(task, key);
    const span = spanOf(node);
    if (!isScalar(node) || !span || node.value === null) continue;
    const text = String(node.value);
    if (!isIsoDateTime(text)) problems.push({ code: 'invalid-schedule', message: `\`${key}\` must be an ISO-8601 date-time, not \`${text}\``, span });
    else dates[key] = Date.parse(text);
  }
  if (dates.schedule_start_at !== undefined && dates.schedule_end_at !== undefined && dates.schedule_start_at >= dates.schedule_end_at) {
    const span = spanOf(valueOf(task, 'schedule_end_at'));
    if (span) problems.push({ code: 'invalid-schedule', message: '`schedule_end_at` must be after `schedule_start_at`', span });
  }
  return problems;
}
