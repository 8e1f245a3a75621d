// `mcrctl completion bash|zsh`: prints the shell completion script, generated from the command
// table (completion.ts), so it always knows every command and option of this mcrctl.
import type { Command } from '../command';
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from '../completion';
import { UsageError } from '../usage-error';

export const completionCommand: Command = {
  name: 'completion',
  synopsis: 'completion bash|zsh',
  summary: 'Print the shell completion script',
  optionHelp: [],
  examples: [
    'source <(mcrctl completion bash)                      # this shell',
    'mcrctl completion bash > /etc/bash_completion.d/mcrctl  # every new bash',
    'mcrctl completion zsh > "${fpath[1]}/_mcrctl"          # zsh (then compinit)',
  ],
  options: {},
  positionals: { min: 1, max: 1, names: 'bash|zsh' },
  completePositionals: COMPLETION_SHELLS,
  run(ctx, { positionals }) {
    const shell = positionals[0];
    if (!(COMPLETION_SHELLS as readonly string[]).includes(shell)) {
      throw new UsageError(`completion: shell must be ${COMPLETION_SHELLS.join(' or ')}, got '${shell}'`, 'completion');
    }
    ctx.out.write(completionScript(shell as CompletionShell, ctx.commands));
    return Promise.resolve();
  },
};
