export type ChildPayer = { status: 'NoPayer' } | { status: 'Paid'; childId: string; payerId: string };
