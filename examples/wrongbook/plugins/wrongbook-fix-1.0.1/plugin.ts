// wrongbook-fix 1.0.1: the plugin version the demo (scripts/demo.sh) hot-deploys while the pipeline runs.
// It is 1.0.0 (@evroute/plugin-wrongbook-fix) with two visible differences and the same wide-table rows:
// every fix_metrics record carries `plugin_version: "1.0.1"`, and each new instance logs "v1.0.1 serving".
// `evroute plugin pack examples/wrongbook/plugins/wrongbook-fix-1.0.1 --out <plugin folder>` bundles it
// (esbuild, with @evroute/core left external) into <plugin folder>/wrongbook-fix@1.0.1/.
import { definePlugin, type EventProcessor, type Output } from '@evroute/core';
import base, { type WrongbookFixConfig } from '@evroute/plugin-wrongbook-fix';

const VERSION = '1.0.1';

const tag = (output: Output): Output => (output.to === 'fix_metrics' ? { ...output, value: { ...output.value, plugin_version: VERSION } } : output);

export default definePlugin<WrongbookFixConfig>({
  ...base,
  version: VERSION,
  async create(config, ctx): Promise<EventProcessor<WrongbookFixConfig>> {
    const inner = await base.create(config, ctx);
    ctx.logger.info({ route: ctx.route.id }, `wrongbook-fix v${VERSION} serving route ${ctx.route.id}`);
    return {
      async process(event, processContext): Promise<readonly Output[]> {
        return (await inner.process(event, processContext)).map(tag);
      },
      close: () => inner.close?.(),
    };
  },
});
