/** The editor's commands on the page's one API connection and the app's store. */
import { getApi } from '../api/get-api';
import { appStore } from '../state/store';
import { createEditorCommands, type EditorCommands } from './editor-commands';

let commands: EditorCommands | null = null;

export function editorCommands(): EditorCommands {
  commands ??= createEditorCommands(getApi().api, appStore);
  return commands;
}
