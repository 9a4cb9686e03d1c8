/**
 * Password rules an administrator sets (LedgerSettings.passwordMinLength / passwordNeedsClasses),
 * checked wherever a password is set: first-run set-up (with the defaults), new account, reset by
 * an administrator, own change. Pure, so the renderer shows the same rule live as the user types.
 * Not applied at log-in: an old password that predates a stricter rule still opens the ledger.
 */

export interface PasswordRules {
  /** Fewest characters (code points), 8–64. */
  minLength: number;
  /** Fewest character classes among 小写字母, 大写字母, 数字, 其他字符 (0–4). */
  needsClasses: number;
}

export const DEFAULT_PASSWORD_RULES: Readonly<PasswordRules> = Object.freeze({ minLength: 10, needsClasses: 2 });

/** Bounds of the settings themselves. */
export const PASSWORD_MIN_LENGTH_RANGE = [8, 64] as const;
export const PASSWORD_CLASSES_RANGE = [0, 4] as const;
/** Longest password accepted whatever the rules (scrypt takes any length; this bounds the work). */
export const PASSWORD_MAX_LENGTH = 128;

export const CHARACTER_CLASS_LABELS = ['小写字母', '大写字母', '数字', '其他字符'] as const;

/** Which of the four classes occur: [lower, upper, digit, other]. */
export function characterClasses(pw: string): [boolean, boolean, boolean, boolean] {
  const out: [boolean, boolean, boolean, boolean] = [false, false, false, false];
  for (const ch of pw) {
    if (ch >= 'a' && ch <= 'z') out[0] = true;
    else if (ch >= 'A' && ch <= 'Z') out[1] = true;
    else if (ch >= '0' && ch <= '9') out[2] = true;
    else out[3] = true;
  }
  return out;
}

export function countClasses(pw: string): number {
  return characterClasses(pw).filter(Boolean).length;
}

/** The rule in one zh-CN sentence, for the form's hint: 密码至少10位，且包含…中的至少2类。 */
export function describePasswordRules(r: PasswordRules): string {
  const classes = r.needsClasses > 0 ? `，且包含${CHARACTER_CLASS_LABELS.join('、')}中的至少${r.needsClasses}类` : '';
  return `密码至少${r.minLength}位${classes}。`;
}

export interface PasswordProblem {
  reason: 'required' | 'too_short' | 'too_long' | 'too_few_classes';
  message: string;
}

/** What is wrong with `pw` under `r`, or null when it satisfies the rules. */
export function passwordProblem(pw: string, r: PasswordRules): PasswordProblem | null {
  const n = [...pw].length;
  if (n === 0) return { reason: 'required', message: '请填写密码。' };
  if (n > PASSWORD_MAX_LENGTH) return { reason: 'too_long', message: `密码不能超过${PASSWORD_MAX_LENGTH}位。` };
  if (n < r.minLength) return { reason: 'too_short', message: `密码至少${r.minLength}位（本台账的密码规则），当前只有${n}位。` };
  const have = countClasses(pw);
  if (have < r.needsClasses) {
    return {
      reason: 'too_few_classes',
      message: `密码须包含${CHARACTER_CLASS_LABELS.join('、')}中的至少${r.needsClasses}类（本台账的密码规则），当前只有${have}类。`,
    };
  }
  return null;
}
