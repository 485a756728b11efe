/**
 * What the reviewer reads: the approval phase's rendered prompt (often a plan an earlier
 * phase wrote) as text in the reading font, its line breaks kept, long ones scrolled.
 */
export function ApprovalPrompt({ text }: { text: string }) {
  return (
    <div className="approval-prompt" role="document" aria-label="What to review" tabIndex={0} data-testid="approval-prompt">
      {text.trim() === '' ? <span className="muted">(the prompt is empty)</span> : text}
    </div>
  );
}
