'use client';
import { useFlag } from 'flagwire/react';

/** A client component reading the same flag as the page's server component: the values always agree. */
export function DashboardBadge() {
  const on = useFlag('new-dashboard');
  return <p id="client-dashboard">{on ? 'client: new dashboard' : 'client: classic dashboard'}</p>;
}
