// Preloaded into the server process by `pnpm soak` (node --import): answers the soak script's
// "memory?" messages over the IPC channel with process.memoryUsage(), so the heap can be watched
// next to RSS without touching server code. Does nothing when the process has no IPC channel.
if (process.send) {
  process.on("message", (message) => {
    if (message === "memory?") process.send?.({ memory: process.memoryUsage() });
  });
  // The channel must not keep the server alive or change how it shuts down.
  process.channel?.unref();
}
