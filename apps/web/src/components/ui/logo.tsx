interface LogoProps {
  /** Height of the mark in pixels; the wordmark scales with it. */
  size?: number;
  /** Show the "Keyward" wordmark next to the mark. */
  wordmark?: boolean;
  className?: string;
}

/** The Keyward mark (a key inside a rounded square) and wordmark, drawn inline. */
export function Logo({ size = 32, wordmark = true, className }: LogoProps) {
  return (
    <span className={["logo", className].filter(Boolean).join(" ")}>
      <svg
        xmlns="http://www.w3.org/2000/svg"
        viewBox="0 0 32 32"
        width={size}
        height={size}
        aria-hidden="true"
        focusable="false"
        className="logo-mark"
      >
        <rect width="32" height="32" rx="8" fill="var(--color-accent)" />
        <circle cx="12.5" cy="16" r="5" fill="none" stroke="#fff" strokeWidth="2.6" />
        <path
          d="M17.5 16h8.5m-3 0v4m-3.5-4v3"
          fill="none"
          stroke="#fff"
          strokeWidth="2.6"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      {wordmark ? (
        <span className="logo-wordmark" style={{ fontSize: `${Math.round(size * 0.62)}px` }}>
          Keyward
        </span>
      ) : (
        <span className="visually-hidden">Keyward</span>
      )}
    </span>
  );
}
