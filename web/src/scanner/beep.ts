// A short tone per answer, so the gate staff hears the result without looking: high for allow,
// low and longer for deny. Web Audio needs a user gesture first; sign-in is one.
let context: AudioContext | null = null;

export function unlockAudio(): void {
  context ??= new AudioContext();
  void context.resume();
}

export function beep(allowed: boolean): void {
  if (!context) return;
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.type = allowed ? "sine" : "square";
  oscillator.frequency.value = allowed ? 1320 : 220;
  const duration = allowed ? 0.15 : 0.45;
  gain.gain.setValueAtTime(0.2, context.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, context.currentTime + duration);
  oscillator.connect(gain).connect(context.destination);
  oscillator.start();
  oscillator.stop(context.currentTime + duration);
}
