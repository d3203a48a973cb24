export default defineBackground(() => {
  // Wiring lands in lib/; this file only connects browser events to it.
});
