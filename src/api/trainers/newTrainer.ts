import type { Knex } from 'knex';
import { normaliseEmail, normalisePhone } from '../../commands/identity/contactDetails';
import type { NewTrainerProfile } from '../../commands/trainers/trainerCommands';
import type { TrainerLocation } from '../../events/trainers/trainerEvents';
import { findUser } from '../../projections/identity/userQueries';
import { findSociety } from '../../projections/societies/societyQueries';
import type { z } from '../openapi/zod';
import { HttpProblem } from '../http/errorHandler';
import type { createTrainerBody } from './trainerSchemas';

type CreateTrainer = z.infer<typeof createTrainerBody>;

const invalid = (path: string, message: string) =>
  new HttpProblem(400, 'validation-error', 'The request is not valid', `${path} ${message}`, {
    errors: [{ in: 'body', path, message }],
  });

const taken = (detail: string) =>
  new HttpProblem(409, 'trainer-exists', 'This trainer is on the roster already', detail);

/**
 * Where a trainer the society adds is based. A place name (the spec's "Society A") has no
 * coordinates of its own, and the contract's body has no location at all: the trainer is then
 * taken to be based at the society adding them (its coordinates, when it has them, let the
 * planner count travel).
 */
const locationOf = async (
  knex: Knex,
  given: CreateTrainer['location'],
  societyId: string | undefined,
): Promise<TrainerLocation | undefined> => {
  if (given !== undefined && typeof given !== 'string')
    return { address: given.address ?? null, latitude: given.latitude, longitude: given.longitude };
  const society = societyId ? await findSociety(knex, societyId) : undefined;
  if (given === undefined && !society) return undefined;
  return {
    address: given ?? society?.location ?? society?.name ?? null,
    latitude: society?.latitude ?? null,
    longitude: society?.longitude ?? null,
  };
};

/**
 * Who the new profile is for and what it says. With user_id: an existing trainer account, its
 * details filling what the body leaves out. Without (the spec's body): a trainer with no account
 * yet, a new id; refused when the email is an account's that is not a trainer's, or another
 * trainer's on the roster (their profile is then the one to use).
 */
export const newTrainerProfile = async (
  knex: Knex,
  body: CreateTrainer,
  societyId: string | undefined,
  newId: () => string,
): Promise<{ trainerId: string; details: NewTrainerProfile }> => {
  const account = body.user_id
    ? await findUser(knex, body.user_id)
    : await knex('users')
        .where({ email: normaliseEmail(body.email!) })
        .first();
  if (body.user_id && (!account || account.role !== 'trainer'))
    throw new HttpProblem(
      422,
      'not-a-trainer-account',
      'A trainer profile belongs to an account whose role is trainer',
      account ? `User ${body.user_id} is a ${account.role}` : `No user ${body.user_id}`,
    );
  if (account && account.role !== 'trainer')
    throw taken(
      `${body.email} is the email of a ${account.role}’s account: use another email for the trainer.`,
    );
  const email = account?.email ?? normaliseEmail(body.email!);
  const trainerId = account?.id ?? newId();
  // Another trainer with this email is refused here; the same one (a retry under its
  // Idempotency-Key, or the account's own profile) is left to the command to answer.
  const onRoster = await knex('trainers').where({ email }).whereNot({ id: trainerId }).first('id');
  if (onRoster) throw taken(`Trainer ${onRoster.id} has the email ${email}: GET /trainers/${onRoster.id}.`);
  let phoneNumber: string | null = account?.phone_number ?? null;
  if (body.phone_number !== undefined && !account) {
    phoneNumber = normalisePhone(body.phone_number) ?? null;
    if (phoneNumber === null)
      throw invalid('phone_number', 'is not a valid phone number (e.g. +91 98765 43210)');
  }
  const given = body.specialization;
  const specialization =
    given === undefined ? (account?.specialization ?? []) : typeof given === 'string' ? [given] : given;
  const location = (account?.location && body.location === undefined
    ? account.location
    : await locationOf(knex, body.location, societyId)) ?? { address: null, latitude: null, longitude: null };
  if (specialization.length === 0)
    throw new HttpProblem(
      422,
      'trainer-details-missing',
      'Give the trainer’s specialization',
      account
        ? 'The account has none to take it from: give specialization, e.g. "Yoga".'
        : 'Give specialization, e.g. "Yoga".',
    );
  return {
    trainerId,
    details: {
      name: body.name ?? account!.name,
      email,
      phoneNumber,
      specialization,
      location: {
        address: location.address ?? null,
        latitude: location.latitude,
        longitude: location.longitude,
      },
      maxClassesPerDay: body.max_classes_per_day,
    },
  };
};
