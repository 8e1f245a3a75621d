// The web dashboard at /ui: a static single-page app built with mcrd (apps/mcrd/ui) and served
// from its package, so it works on an air-gapped host; it reads and acts only through /api/v1.
import { Module } from '@nestjs/common';
import { UiController } from './ui.controller';
import { UI_ASSETS_DIR, defaultUiAssetsDir } from './ui-assets';

@Module({
  controllers: [UiController],
  providers: [{ provide: UI_ASSETS_DIR, useFactory: defaultUiAssetsDir }],
})
export class UiModule {}
