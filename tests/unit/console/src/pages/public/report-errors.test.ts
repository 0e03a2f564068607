import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type ApiProblem } from '#console/src/api/client.ts';
import { setLanguage } from '#console/src/i18n/index.ts';
import { checkFailure, sendFailure } from '#console/src/pages/public/report-errors.ts';
import { FaultReport, REFUSALS } from '#schedules/public/fault-report.ts';

afterEach(() => setLanguage('fr'));

const refusal = (errors: ApiProblem['errors'], more: Partial<ApiProblem> = {}) =>
  new ApiError({
    status: 422,
    title: 'Validation failed',
    detail: 'the request body is invalid',
    errors,
    ...more,
  });

describe('fault form errors', () => {
  it('name each field the API refused in French, next to it, and all of them for the alert', () => {
    const failure = sendFailure(
      refusal([
        { pointer: '/luminaire', detail: REFUSALS.unknownPole },
        { pointer: '/email', detail: REFUSALS.notEmail },
      ]),
    );
    expect(failure.fields).toEqual({
      luminaire: 'Aucun lampadaire ne porte ce numéro : vérifiez la plaque fixée au poteau.',
      email: 'Cette adresse e-mail n’est pas valide.',
    });
    expect(failure.message).toBe(`${failure.fields.luminaire} ; ${failure.fields.email}`);
  });

  it('word every reason the API gives, filling in its limits', () => {
    for (const detail of Object.values(REFUSALS)) {
      const message = sendFailure(refusal([{ pointer: '/position', detail }])).fields.position;
      expect(message, detail).not.toBe(detail);
      expect(message, detail).not.toMatch(/\{\w+\}/);
    }
    expect(
      sendFailure(refusal([{ pointer: '/position', detail: REFUSALS.farFromPoles }])).fields.position,
    ).toBe('Aucun lampadaire à moins de 300 m : rapprochez le point d’un lampadaire.');
  });

  it('word a known field refused for a reason without words of its own, and leave an unknown one in English', () => {
    const failure = sendFailure(
      refusal([
        { pointer: '/luminaire', detail: 'id must be at most 64 characters' },
        { pointer: '/website', detail: 'Too big: expected string to have <=200 characters' },
      ]),
    );
    expect(failure.fields).toEqual({
      luminaire: 'Ce numéro n’est pas valide : recopiez celui de la plaque fixée au poteau.',
      website: 'Too big: expected string to have <=200 characters',
    });
  });

  it('speak the language the page is in', async () => {
    await setLanguage('en');
    const failure = sendFailure(refusal([{ pointer: '/position', detail: REFUSALS.poleAndPoint }]));
    expect(failure.fields.position).toBe('Give the number on the pole or a point on the map, not both.');
  });

  it('say in how many minutes to try again after too many reports, from Retry-After', () => {
    const tooMany = (retryAfterSeconds?: number) =>
      sendFailure(
        new ApiError({
          status: 429,
          title: 'Too many requests',
          ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
        }),
      );
    expect(tooMany(1320).message).toBe(
      'Trop de signalements envoyés depuis votre connexion : réessayez dans 22 minutes.',
    );
    expect(tooMany(30).message).toBe(
      'Trop de signalements envoyés depuis votre connexion : réessayez dans une minute.',
    );
    expect(tooMany().message).toBe(
      'Trop de signalements envoyés depuis votre connexion : réessayez dans un moment.',
    );
    expect(tooMany(1320).fields).toEqual({});
  });

  it('tell a resident without an answer to check the connection, and one the service failed to retry', () => {
    expect(sendFailure(new TypeError('Failed to fetch')).message).toMatch(/vérifiez votre connexion/);
    expect(sendFailure(new ApiError({ status: 503, title: 'Service unavailable' })).message).toBe(
      "Le signalement n'a pas pu être enregistré : réessayez dans un moment.",
    );
  });

  it('word what the form refuses itself before sending, as the API would', () => {
    const parsed = FaultReport.safeParse({ description: 'x', filledInSeconds: 1 });
    if (parsed.success) throw new Error('the schema accepted an empty report');
    const failure = checkFailure(parsed.error.issues);
    expect(failure.fields).toMatchObject({
      luminaire: 'Indiquez le numéro du poteau, un point sur la carte ou la rue.',
      description: 'Décrivez la panne en quelques mots.',
      filledInSeconds: 'Le formulaire a été envoyé trop vite : relisez-le et envoyez-le à nouveau.',
    });
  });
});
