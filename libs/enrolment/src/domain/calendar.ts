// The shared kulturskole calendar; kept as this module so the domain's imports read as before.
export * from '#libs/calendar';
