export default defineBackground(() => {
  // Wired up by the workspace issue: sync, local index, side panel routing.
});
