/** Gives views the user's actions (state/commands.ts) without passing them down by hand. */
import { createContext, useContext } from 'react';
import type { Commands } from '../state/commands';

export const CommandsContext = createContext<Commands | null>(null);

export function useCommands(): Commands {
  const commands = useContext(CommandsContext);
  if (!commands) throw new Error('useCommands outside <CommandsContext>');
  return commands;
}
