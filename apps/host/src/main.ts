console.log('host: not wired yet');
