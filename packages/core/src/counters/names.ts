/** Counter names; each is kept per owner and period key. */
export const COUNTERS = { qualified: 'qualified', revenue: 'revenue', commission: 'commission' } as const;
