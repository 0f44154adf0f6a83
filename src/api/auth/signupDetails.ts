import type { UserRow } from '../../projections/identity/userQueries';

type SignupLocation = string | { address?: string; latitude?: number; longitude?: number } | undefined;

export interface TrainerSignupDetails {
  specialization: string[];
  location: { address: string | null; latitude: number | null; longitude: number | null };
}

/**
 * What a trainer's signup says about their work, in the rich shape the profile keeps: the spec's
 * one specialization ("Yoga") is a list of one, its place name ("Society A") an address without
 * coordinates; a trainer who gave neither has an empty list and no location yet.
 */
export const trainerSignupDetails = (body: {
  specialization?: string | string[];
  location?: SignupLocation;
}): TrainerSignupDetails => {
  const { specialization, location } = body;
  const place = typeof location === 'string' ? { address: location } : (location ?? {});
  return {
    specialization: specialization === undefined ? [] : [specialization].flat(),
    location: {
      address: place.address ?? null,
      latitude: place.latitude ?? null,
      longitude: place.longitude ?? null,
    },
  };
};

/**
 * Signup's answer: the new account's fields at the top level, as the spec shows them, beside
 * the session (token, refresh_token, expires_in and the nested user) a client signs in with.
 */
export const signupAnswer = <S extends { user: object }>(user: UserRow, session: S) => ({
  ...session.user,
  created_at: user.created_at.toISOString(),
  updated_at: user.updated_at.toISOString(),
  ...session,
});
