/**
 * Follows live content: while a scroll container is scrolled to its end, it stays at
 * the end as text streams in; scrolling up stops following until the end is reached again.
 */
import { useEffect, type RefObject } from 'react';

const SLACK_PX = 24;

/** `target` names what is shown (the phase): following restarts when it changes. */
export function useStickToBottom(ref: RefObject<HTMLElement | null>, target: unknown): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let pinned = false;
    const onScroll = () => {
      pinned = el.scrollHeight - el.scrollTop - el.clientHeight <= SLACK_PX;
    };
    const observer = new MutationObserver(() => {
      if (pinned) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el, { childList: true, subtree: true, characterData: true });
    el.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', onScroll);
    };
  }, [ref, target]);
}
