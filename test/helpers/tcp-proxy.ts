import { createServer, connect, type Server, type Socket } from 'node:net'

/**
 * A loopback TCP proxy in front of a real server, so a test can take the database away and bring it back: open
 * connections drop and new ones are refused, exactly what the app sees when its database restarts; or, with
 * `blackhole`, new connections are accepted and never answered, as behind a firewall that drops packets.
 */
export async function startTcpProxy(targetHost: string, targetPort: number) {
  const sockets = new Set<Socket>()
  const pairs = new Set<[Socket, Socket]>()
  const listen = (server: Server, port: number) => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const makeServer = () =>
    createServer((client) => {
      const upstream = connect(targetPort, targetHost)
      sockets.add(client)
      sockets.add(upstream)
      const pair: [Socket, Socket] = [client, upstream]
      pairs.add(pair)
      client.pipe(upstream).pipe(client)
      const drop = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); pairs.delete(pair) }
      client.on('error', drop).on('close', drop)
      upstream.on('error', drop).on('close', drop)
    })
  let server = makeServer()
  await listen(server, 0)
  const port = (server.address() as { port: number }).port
  const stop = () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); sockets.clear(); pairs.clear(); server.close(() => resolve()) })
  const silentServer = () => createServer((client) => {
    sockets.add(client)
    client.on('error', () => client.destroy()).on('close', () => sockets.delete(client))
  })
  return {
    port,
    /** Drops every open connection; new ones are refused until restored. */
    cut: stop,
    /** Drops every open connection; new ones hang, unanswered, until restored. */
    async blackhole() {
      await stop()
      server = silentServer()
      await listen(server, port)
    },
    /**
     * Open connections stay open and go silent (what is sent is never delivered, nothing comes back), as when a
     * firewall or a NAT forgets them; new ones hang, unanswered, until restored.
     */
    async freeze() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream)
        upstream.unpipe(client)
        client.pause()
        upstream.pause()
      }
      // Stops accepting at once; its callback would wait for the open connections, which stay.
      server.close()
      server = silentServer()
      await listen(server, port)
    },
    async restore() {
      await stop()
      server = makeServer()
      await listen(server, port)
    },
    close: stop,
  }
}
