// Meant to count down; never ends (the default time limit stops it).
export let retries = 3;
while (retries > 0) retries = retries + 0;
