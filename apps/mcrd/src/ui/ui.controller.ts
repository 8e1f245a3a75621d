// Serves the web dashboard (GET /ui/ and its bundled files) from the package itself, open to
// everyone like /docs: the page holds no data; its API calls carry the operator's token.
import { Controller, Get, Inject, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { errorBody } from '../http/error-body';
import { Public } from '../http/public.decorator';
import {
  HASHED_ASSET_CACHE_CONTROL,
  INDEX_CACHE_CONTROL,
  PAGE_SECURITY_HEADERS,
  UI_ASSETS_DIR,
  isContentHashed,
  uiIsBuilt,
} from './ui-assets';

/** Only names the bundler writes: no slashes, no dot-dot, so a request cannot leave the folder. */
const ASSET_NAME = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9]+)+$/;

@ApiExcludeController()
@Public()
@Controller('ui')
export class UiController {
  constructor(@Inject(UI_ASSETS_DIR) private readonly dir: string) {}

  @Get()
  index(@Req() req: Request, @Res() res: Response): void {
    // /ui without the slash would resolve the page's relative asset URLs against /.
    if (!req.path.endsWith('/')) return res.redirect(301, '/ui/');
    if (!uiIsBuilt(this.dir))
      throw new NotFoundException(`the dashboard is not built (no index.html in ${this.dir}); run npm run build`);
    this.send(res, 'index.html', INDEX_CACHE_CONTROL);
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Res() res: Response): void {
    if (!ASSET_NAME.test(file)) throw new NotFoundException(`no dashboard asset '${file}'`);
    this.send(res, `assets/${file}`, isContentHashed(file) ? HASHED_ASSET_CACHE_CONTROL : INDEX_CACHE_CONTROL);
  }

  private send(res: Response, file: string, cacheControl: string): void {
    const headers = { ...PAGE_SECURITY_HEADERS, 'Cache-Control': cacheControl };
    res.sendFile(file, { root: this.dir, headers, cacheControl: false }, (err) => {
      if (!err || res.headersSent) return;
      res.status(404).json(errorBody(404, `no dashboard file '${file}'`));
    });
  }
}
