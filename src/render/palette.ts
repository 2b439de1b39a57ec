/**
 * The colours that carry meaning, one definition for the email's text, its dark mode and the charts.
 * Gains and losses meet 4.5:1 on white (the light card, the charts' own light panel) and on the dark card.
 */
export const PALETTE = {
  up: '#0a7d32',
  down: '#b42318',
  flat: '#3e4c59',
  upOnDark: '#6ee7a0',
  downOnDark: '#ff9b9b',
  flatOnDark: '#d2dae2',
  ink: '#1f2933',
  muted: '#52606d',
  grid: '#d9e2ec',
} as const;
