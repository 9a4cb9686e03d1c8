import { Form, Input } from 'antd';

/**
 * The comment on a decision (销号审核, 延期审批): optional, but when the decision is the refusal
 * (退回, 不同意) it becomes the reason, is labelled so and is required — the engine refuses a refusal
 * without a reason, so the form says it first.
 */
export function DecisionComment({ decision, refusal, label, reasonLabel, reasonRequired }: {
  /** The form field holding the decision. */
  decision: string;
  /** Its value that needs a reason. */
  refusal: unknown;
  label: string;
  reasonLabel: string;
  reasonRequired: string;
}) {
  const refusing = Form.useWatch(decision) === refusal;
  return (
    <Form.Item
      name="comment" label={refusing ? reasonLabel : label} dependencies={[decision]} required={refusing}
      rules={[({ getFieldValue }) => ({
        validator: (_r, v: string | undefined) => (getFieldValue(decision) === refusal && !v?.trim()
          ? Promise.reject(new Error(reasonRequired)) : Promise.resolve()),
      })]}
    >
      <Input.TextArea rows={3} maxLength={4000} />
    </Form.Item>
  );
}
