import { createHash } from 'node:crypto'
import { Hono } from 'hono'
import type { ConsoleAssets } from '../../infra/console-assets.ts'
import { LOCAL_TIME_SCRIPT } from './local-time.ts'
import { STYLESHEET } from './style.ts'

type Asset = { path: string; body: string; type: string }

function hashed(name: string, ext: string, body: string, type: string): Asset {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12)
  return { path: `/console/assets/${name}.${hash}.${ext}`, body, type }
}

export type AssetPaths = { css: string; htmx: string; localTime: string }

/** The console's stylesheet and scripts (htmx, local times) under content-hashed names, so they can be cached for a year. */
export function consoleAssets(assets: ConsoleAssets): { paths: AssetPaths; routes: Hono } {
  const css = hashed('console', 'css', STYLESHEET, 'text/css; charset=utf-8')
  const htmx = hashed('htmx', 'js', assets.htmx, 'text/javascript; charset=utf-8')
  const localTime = hashed('local-time', 'js', LOCAL_TIME_SCRIPT, 'text/javascript; charset=utf-8')
  const routes = new Hono()
  for (const asset of [css, htmx, localTime]) {
    routes.get(asset.path, (c) => c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'public, max-age=31536000, immutable' }))
  }
  return { paths: { css: css.path, htmx: htmx.path, localTime: localTime.path }, routes }
}
