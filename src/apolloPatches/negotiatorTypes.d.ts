/** The part of negotiator 1's API that Apollo Server uses and negotiator.ts extends (the package ships no types). */
declare module 'negotiator' {
  export default class Negotiator {
    constructor(request: { headers: Record<string, string | undefined> });
    mediaType(available?: string[]): string | undefined;
    mediaTypes(available?: string[]): string[];
  }
}
