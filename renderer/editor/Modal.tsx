/** A native modal <dialog> (focus stays inside, Escape cancels) in the app's dialog style. */
import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

interface Props {
  title: string;
  testId: string;
  onCancel: () => void;
  onSubmit?: () => void;
  footer: ReactNode;
  children: ReactNode;
}

export function Modal({ title, testId, onCancel, onSubmit, footer, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const titleId = `${testId}-title`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit?.();
  };
  return (
    <dialog
      ref={ref}
      className="dialog editor-dialog"
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <form onSubmit={submit}>
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="button ghost small" onClick={onCancel} aria-label="Close (Escape)">
            ✕
          </button>
        </header>
        <div className="dialog-body">{children}</div>
        <footer className="dialog-footer">{footer}</footer>
      </form>
    </dialog>
  );
}
