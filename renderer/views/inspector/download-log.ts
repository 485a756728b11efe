/** Saves text as a file the user downloads (a Blob URL on a link with `download`). */
export function saveTextFile(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has its own reference by the time the click returns; the URL is let go after it.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "run-abc-test-try2.log": where it came from, in a name a file system takes. */
export function logFileName(runId: string, phaseId: string, attempt: number): string {
  return `${runId}-${phaseId}-try${attempt}.log`;
}
