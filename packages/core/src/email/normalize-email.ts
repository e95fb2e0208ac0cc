const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * Normalises an email address for matching one person's addresses, not for
 * sending: lower-cases it, drops a `+tag` from the local part, and for
 * gmail.com and googlemail.com also drops dots (Gmail ignores them) and
 * folds googlemail.com into gmail.com.
 * `John.Doe+promo@GoogleMail.com` → `johndoe@gmail.com`.
 */
export function normalizeEmail(input: string): string {
  const email = input.trim().toLowerCase();
  const at = email.lastIndexOf('@');
  if (at < 1) return email;
  let local = email.slice(0, at);
  let domain = email.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    local = local.replaceAll('.', '');
    domain = 'gmail.com';
  }
  return `${local}@${domain}`;
}
