/**
 * The flow editor against a real server: build a flow by dragging and compare the file
 * byte for byte; edit a commented file and keep every untouched line; refuse a cycle;
 * fix a failed run's flow and resume it with the new definition after a preview.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, phaseNode, startFlow, test } from './fixtures';
import { shoot } from './screenshot';

const node = (page: Page, id: string) => page.getByTestId(`editor-node-${id}`);

/** Waits until elk has placed the current structure, so handles stay where they are measured. */
async function laidOut(page: Page): Promise<void> {
  await expect(page.getByTestId('editor-graph')).toHaveAttribute('data-laid-out', 'true');
}

/** Drags from `from`'s output handle to `to`'s input handle with the mouse, as a user does. */
async function connect(page: Page, from: string, to: string): Promise<void> {
  await laidOut(page);
  const start = await page.getByTestId(`editor-node-${from}-out`).boundingBox();
  const end = await page.getByTestId(`editor-node-${to}-in`).boundingBox();
  if (!start || !end) throw new Error(`handles of ${from} or ${to} are not on screen`);
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2);
  await page.mouse.down();
  await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function openInEditor(page: Page, path: string): Promise<void> {
  await page.getByTestId('nav-editor').click();
  await page.getByTestId(`open-flow-${path}`).click();
  await expect(page.getByTestId('editor-path')).toHaveText(path);
  await laidOut(page);
}

test('builds a three-phase flow from the palette by dragging handle to handle, and saves exactly that YAML', async ({ page, waymark }) => {
  await page.goto(waymark.server.url);
  await page.getByTestId('nav-editor').click();
  await page.getByTestId('new-flow').click();
  await page.getByTestId('new-flow-name').fill('built');
  await page.getByTestId('new-flow-create').click();
  await expect(page.getByTestId('editor-path')).toHaveText('built.yaml');
  await expect(page.getByTestId('unsaved-mark')).toContainText('new, unsaved');
  await expect(page).toHaveTitle('● built.yaml — Waymark editor');

  // The new flow starts with one phase; replace it with three from the palette.
  await node(page, 'start').click();
  await page.keyboard.press('Delete');
  await expect(node(page, 'start')).toHaveCount(0);
  await page.getByTestId('palette-command').click();
  await page.getByTestId('palette-agent').click();
  await page.getByTestId('palette-command').click();
  for (const id of ['command_1', 'agent_1', 'command_2']) await expect(node(page, id)).toBeVisible();

  await connect(page, 'command_1', 'agent_1');
  await expect(page.getByTestId('rf__edge-command_1->agent_1')).toHaveCount(1);
  await connect(page, 'agent_1', 'command_2');
  await expect(page.getByTestId('rf__edge-agent_1->command_2')).toHaveCount(1);
  await expect(page.getByTestId('validity')).toHaveText('valid');

  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('saved-mark')).toBeVisible();
  await expect(page).toHaveTitle('built.yaml — Waymark editor');
  expect(readFileSync(join(waymark.root, 'built.yaml'), 'utf8')).toBe(`# built: created in the Waymark editor.
name: built
defaults:
  model: openai:gpt-4o-mini
phases:
  - id: command_1
    kind: command
    run: echo "TODO"
  - id: agent_1
    kind: agent
    prompt: Describe the task for the model.
    depends_on: [command_1]
  - id: command_2
    kind: command
    run: echo "TODO"
    depends_on: [agent_1]
`);
});

const COMMENTED = `# Release pipeline: edited by hand and in the app.
name: release   # the name shown in the runs list
inputs:
  target: { default: staging, description: Where to deploy }

phases:
  # Fetch the sources first.
  - id: fetch
    kind: command
    run: git --version   # any command works here

  # Build from what was fetched.
  - id: build
    kind: command
    depends_on: [ fetch ]
    run: echo "build {{inputs.target}}"
    timeout: 5m
`;

test('edits a field in the side panel with live validation, undo and redo, and keeps every other line byte for byte', async ({ page, waymark }) => {
  waymark.writeFlow('release.yaml', COMMENTED);
  await page.goto(waymark.server.url);
  await openInEditor(page, 'release.yaml');

  await node(page, 'build').click();
  const run = page.getByTestId('phase-panel').getByTestId('field-run');
  await expect(run).toHaveValue('echo "build {{inputs.target}}"');

  // Live validation with the engine's loader: on the node and beside the field.
  await run.fill('echo "build {{phases.nope.output}}"');
  await expect(page.getByTestId('field-problem-run')).toContainText('names unknown phase "nope"');
  await expect(page.getByTestId('editor-node-problems-build')).toHaveText('1');
  await expect(page.getByTestId('save')).toBeDisabled();

  await run.fill('echo "build for {{inputs.target}}"');
  await expect(page.getByTestId('field-problem-run')).toHaveCount(0);
  await expect(page.getByTestId('editor-node-problems-build')).toHaveCount(0);
  await expect(page.getByTestId('unsaved-mark')).toBeVisible();
  await expect(page).toHaveTitle('● release.yaml — Waymark editor');

  // Typing into one field is one undo step.
  await page.getByTestId('editor-graph').click({ position: { x: 300, y: 500 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('saved-mark')).toBeVisible();
  await node(page, 'build').click();
  await expect(run).toHaveValue('echo "build {{inputs.target}}"');
  await page.keyboard.press('Control+Shift+z');
  await expect(run).toHaveValue('echo "build for {{inputs.target}}"');

  // Leaving with unsaved edits asks; declining stays.
  const asked = new Promise<string>((resolve) => page.once('dialog', (d) => (resolve(d.message()), void d.dismiss())));
  await page.getByTestId('nav-runs').click();
  expect(await asked).toContain('release.yaml has unsaved changes');
  await expect(page.getByTestId('editor')).toBeVisible();
  // Closing the tab asks too (beforeunload); declining keeps it open.
  const unload = new Promise<string>((resolve) => page.once('dialog', (d) => (resolve(d.type()), void d.dismiss())));
  await page.close({ runBeforeUnload: true });
  expect(await unload).toBe('beforeunload');
  await expect(page.getByTestId('editor')).toBeVisible();

  await page.getByTestId('save').click();
  await expect(page.getByTestId('saved-mark')).toBeVisible();
  expect(readFileSync(join(waymark.root, 'release.yaml'), 'utf8')).toBe(
    COMMENTED.replace('    run: echo "build {{inputs.target}}"\n', '    run: echo "build for {{inputs.target}}"\n'),
  );
  // Saved: leaving asks nothing.
  await page.getByTestId('nav-runs').click();
  await expect(page.getByTestId('runs-list')).toBeVisible();
});

test('refuses a dependency that would close a cycle, naming the cycle', async ({ page, waymark }) => {
  await page.goto(waymark.server.url);
  await openInEditor(page, 'hello.yaml');
  await connect(page, 'report', 'greet');
  await expect(page.getByTestId('editor-message')).toHaveText('"greet" cannot depend on "report": that would make a cycle (greet → shout → report → greet)');
  await expect(page.getByTestId('saved-mark')).toBeVisible();
  await expect(page.getByTestId('undo')).toBeDisabled();
});

const FIX_ME = `# Fails at \`test\` until it is fixed in the editor.
name: fix-me
phases:
  - id: fetch
    kind: command
    run: echo fetched
  - id: lint
    kind: command
    depends_on: [fetch]
    run: echo lint ok
  - id: docs
    kind: command
    depends_on: [lint]
    run: echo docs after {{phases.lint.output}}
  - id: test
    kind: command
    depends_on: [docs]
    run: echo "tests failed" >&2; exit 1
  - id: package
    kind: command
    depends_on: [test]
    run: echo packaged
`;

test('fixes a failed run\'s flow, previews the resume on the graph, confirms it and watches it succeed', async ({ page, waymark }) => {
  waymark.writeFlow('fix-me.yaml', FIX_ME);
  await page.goto(waymark.server.url);
  const runId = await startFlow(page, 'fix-me');
  await expect(phaseNode(page, 'test')).toHaveAttribute('data-status', 'failed');

  await openInEditor(page, 'fix-me.yaml');
  // Resume saves first (the preview reads the file on disk), then draws the preview.
  await fixFlowAndPreview(page);
  const preview = page.getByTestId('resume-preview');
  await expect(preview).toContainText(`Resume run ${runId} with this definition`);
  await expect(page.getByTestId('saved-mark')).toBeVisible();
  await expect(page.getByTestId('preview-legend')).toBeVisible();
  const expected = {
    fetch: ['reused', '', 'false'],
    lint: ['rerun', 'changed', 'true'],
    docs: ['rerun', 'ancestor-reruns', 'false'],
    test: ['rerun', 'failed-before', 'false'],
    package: ['rerun', 'never-ran', 'false'],
  };
  for (const [id, [state, reason, frontier]] of Object.entries(expected)) {
    await expect(node(page, id)).toHaveAttribute('data-preview', state as string);
    await expect(node(page, id)).toHaveAttribute('data-reason', reason as string);
    await expect(node(page, id)).toHaveAttribute('data-frontier', frontier as string);
  }
  await expect(node(page, 'lint')).toContainText('↻ changed');
  await expect(node(page, 'lint')).toContainText('runs first');
  await expect(node(page, 'docs')).toContainText('↻ ancestor re-runs');
  await expect(node(page, 'test')).toContainText('↻ failed before');
  await expect(node(page, 'package')).toContainText('↻ never ran');
  await expect(node(page, 'fetch')).toContainText('reused');
  await expect(preview).toContainText('definition changed: lint');
  await expect(preview).toContainText('runs first: lint');

  await page.getByTestId('confirm-resume').click();
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-run-id', runId);
  await expect(page.getByTestId(`run-row-${runId}`)).toHaveAttribute('data-status', 'succeeded');
  for (const id of Object.keys(expected)) await expect(phaseNode(page, id)).toHaveAttribute('data-status', 'succeeded');

  const shown = await waymark.show(runId);
  expect(shown.status).toBe('succeeded');
  expect(Object.fromEntries(shown.phases.map((p) => [p.id, p.attempts]))).toEqual({ fetch: 1, lint: 2, docs: 2, test: 2, package: 1 });
  expect(shown.phases.find((p) => p.id === 'test')?.output).toBe('tests passed');
});

test('drags a node: positions go under layout: when it is dropped, nothing else changes', async ({ page, waymark }) => {
  await page.goto(waymark.server.url);
  await openInEditor(page, 'hello.yaml');
  const before = readFileSync(join(waymark.root, 'hello.yaml'), 'utf8');
  const box = await node(page, 'count').boundingBox();
  if (!box) throw new Error('count is not on screen');
  await page.mouse.move(box.x + 60, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + 60, box.y + 160, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId('unsaved-mark')).toBeVisible();
  await page.getByTestId('save').click();
  await expect(page.getByTestId('saved-mark')).toBeVisible();
  const after = readFileSync(join(waymark.root, 'hello.yaml'), 'utf8');
  expect(after.startsWith(before)).toBe(true);
  // Every phase is placed (the first drop fixes elk's layout), `count` lower than before.
  const layout = after.slice(before.length);
  expect(layout).toMatch(/^layout:\n {2}# Editor node positions \(written by Waymark; safe to delete\)\.\n {2}greet: \{x: -?\d+, y: -?\d+\}\n {2}shout: .*\n {2}count: .*\n {2}report: .*\n$/);
  const y = (id: string) => Number(new RegExp(`${id}: \\{x: -?\\d+, y: (-?\\d+)\\}`).exec(layout)?.[1]);
  expect(y('count') - y('shout')).toBeGreaterThan(150);

  // Reopened, the graph is drawn from the file's positions.
  await page.reload();
  await expect(node(page, 'count')).toBeVisible();
  await expect(page.getByTestId('editor-graph')).toHaveAttribute('data-laid-out', 'true');

  // A kind dragged from the palette lands where it is dropped.
  const graph = await page.getByTestId('editor-graph').boundingBox();
  if (!graph) throw new Error('no graph');
  await page.getByTestId('palette-agent').dragTo(page.getByTestId('editor-graph'), { targetPosition: { x: graph.width - 150, y: graph.height - 80 } });
  await expect(node(page, 'agent_1')).toBeVisible();
  await expect(page.getByTestId('phase-panel')).toHaveAttribute('data-phase-id', 'agent_1');
  const dropped = await node(page, 'agent_1').boundingBox();
  expect(Math.abs((dropped?.x ?? 0) + (dropped?.width ?? 0) / 2 - (graph.x + graph.width - 150))).toBeLessThan(40);
  // A click puts it in a free spot in view.
  await page.getByTestId('palette-command').click();
  await expect(node(page, 'command_1')).toBeInViewport();
});

test('selects an edge and deletes it, renames a phase through its templates, and undoes both', async ({ page, waymark }) => {
  await page.goto(waymark.server.url);
  await openInEditor(page, 'hello.yaml');

  await page.getByTestId('rf__edge-greet->count').click({ force: true });
  await expect(page.getByTestId('edge-panel')).toContainText('count depends on greet');
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('rf__edge-greet->count')).toHaveCount(0);
  // `count` still uses greet's output: the loader says so, on the node.
  await expect(page.getByTestId('editor-node-problems-count')).toHaveText('1');
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('rf__edge-greet->count')).toHaveCount(1);
  await expect(page.getByTestId('validity')).toHaveText('valid');

  await node(page, 'count').click();
  const id = page.getByTestId('field-id');
  await id.fill('length');
  await id.press('Enter');
  await expect(node(page, 'length')).toBeVisible();
  await expect(page.getByTestId('phase-panel')).toHaveAttribute('data-phase-id', 'length');
  await page.getByTestId('tab-yaml').click();
  await expect(page.getByTestId('yaml-source')).toHaveValue(/depends_on: \[shout, length\]\n.*\n {4}run: echo \{\{phases\.shout\.output\}\} has \{\{phases\.length\.output\}\} characters/);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('yaml-source')).toHaveValue(readFileSync(join(waymark.root, 'hello.yaml'), 'utf8'));
  await expect(page.getByTestId('saved-mark')).toBeVisible();
});

test('a file changed on disk is not overwritten silently: the user chooses overwrite or reload', async ({ page, waymark }) => {
  waymark.writeFlow('release.yaml', COMMENTED);
  await page.goto(waymark.server.url);
  await openInEditor(page, 'release.yaml');
  await node(page, 'fetch').click();
  await page.getByTestId('phase-panel').getByTestId('field-run').fill('git fetch --all');
  // Someone else edits the file meanwhile (a later mtime).
  const theirs = COMMENTED.replace('timeout: 5m', 'timeout: 10m');
  waymark.writeFlow('release.yaml', theirs);

  await page.getByTestId('save').click();
  const dialog = page.getByTestId('conflict-dialog');
  await expect(dialog).toContainText('release.yaml changed on disk since you opened it');
  await dialog.getByTestId('conflict-reload').click();
  await expect(page.getByTestId('saved-mark')).toBeVisible();
  await node(page, 'build').click();
  await expect(page.getByTestId('phase-panel').getByTestId('field-timeout')).toHaveValue('10m');

  await page.getByTestId('phase-panel').getByTestId('field-timeout').fill('15m');
  waymark.writeFlow('release.yaml', COMMENTED);
  await page.keyboard.press('Control+s');
  await page.getByTestId('conflict-dialog').getByTestId('conflict-overwrite').click();
  await expect(page.getByTestId('saved-mark')).toBeVisible();
  expect(readFileSync(join(waymark.root, 'release.yaml'), 'utf8')).toBe(theirs.replace('timeout: 10m', 'timeout: 15m'));
});

test('runs the open flow with its inputs from the editor', async ({ page, waymark }) => {
  await page.goto(waymark.server.url);
  await openInEditor(page, 'hello.yaml');
  await page.getByTestId('run-flow').click();
  const dialog = page.getByTestId('run-flow-dialog');
  await expect(dialog.locator('input[name="input-name"]')).toHaveValue('world');
  await dialog.locator('input[name="input-name"]').fill('editor');
  await dialog.getByTestId('run-flow-submit').click();
  await expect(phaseNode(page, 'report')).toHaveAttribute('data-status', 'succeeded');
  const runId = (await page.getByTestId('run-view').getAttribute('data-run-id')) as string;
  expect((await waymark.show(runId)).phases.find((p) => p.id === 'shout')?.output).toBe('HELLO, EDITOR!');
});


const RELEASE_NOTES = `# Release notes: gather the changes, draft the notes with a model, check them.
name: release-notes
inputs:
  version: { default: "1.4.0", description: The release to describe }
defaults:
  model: openai:gpt-4o-mini
phases:
  - id: changelog
    kind: command
    run: git log --oneline v1.3.0..HEAD
  - id: issues
    kind: command
    run: gh issue list --state closed --limit 50
  - id: draft
    kind: agent
    depends_on: [changelog, issues]
    system: You write short, friendly release notes.
    prompt: |
      Write NOTES.md for {{inputs.version}} from these commits and closed issues.
      {{phases.changelog.output}}
      {{phases.issues.output}}
    tools: [write_file]
  - id: check
    kind: command
    depends_on: [draft]
    run: test -s NOTES.md && wc -w < NOTES.md
  - id: publish
    kind: command
    depends_on: [check]
    run: gh release create v{{inputs.version}} -F NOTES.md
`;


for (const scheme of ['light', 'dark'] as const) {
  test(`screenshots of the editor (${scheme})`, async ({ page, waymark }, info) => {
    await page.emulateMedia({ colorScheme: scheme });
    const suffix = scheme === 'dark' ? '-dark' : '';
    waymark.writeFlow('release-notes.yaml', RELEASE_NOTES);
    waymark.writeFlow('fix-me.yaml', FIX_ME);
    await page.goto(waymark.server.url);

    await openInEditor(page, 'release-notes.yaml');
    await node(page, 'draft').click();
    await page.getByTestId('phase-panel').getByTestId('field-model').fill('gpt-4o');
    await expect(page.getByTestId('field-problem-model')).toBeVisible();
    await page.mouse.move(0, 0); // no hover highlight in the picture
    await shoot(page, info, `editor${suffix}`);

    page.once('dialog', (d) => void d.accept()); // unsaved: leaving asks
    await page.getByTestId('nav-runs').click();
    const runId = await startFlow(page, 'fix-me');
    await expect(phaseNode(page, 'test')).toHaveAttribute('data-status', 'failed');
    await openInEditor(page, 'fix-me.yaml');
    await fixFlowAndPreview(page);
    await expect(page.getByTestId('resume-preview')).toContainText(runId);
    await expect(node(page, 'lint')).toHaveAttribute('data-frontier', 'true');
    await page.mouse.move(0, 0);
    await shoot(page, info, `editor-preview${suffix}`);
  });
}

/** In fix-me.yaml: fixes the failing `test`, edits `lint`, then asks for the resume preview. */
async function fixFlowAndPreview(page: Page): Promise<void> {
  await node(page, 'test').click();
  await page.getByTestId('phase-panel').getByTestId('field-run').fill('echo "tests passed"');
  await node(page, 'lint').click();
  await page.getByTestId('phase-panel').getByTestId('field-run').fill('echo lint ok, stricter');
  await page.getByTestId('resume-with-definition').click();
}
