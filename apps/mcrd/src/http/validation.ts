// The global ValidationPipe: whitelist, forbid unknown fields, transform; every message names
// the full field path (`outputs[1].port`) and the bad value.
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: true },
    exceptionFactory: (errors) => new BadRequestException(validationMessages(errors)),
  });
}

export function validationMessages(errors: ValidationError[], parent = ''): string[] {
  const messages: string[] = [];
  for (const error of errors) {
    const path = joinPath(parent, error.property);
    for (const [constraint, text] of Object.entries(error.constraints ?? {})) {
      messages.push(describe(path, error.property, constraint, text, error.value));
    }
    messages.push(...validationMessages(error.children ?? [], path));
  }
  return messages;
}

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent === '' ? property : `${parent}.${property}`;
}

function describe(path: string, property: string, constraint: string, text: string, value: unknown): string {
  if (constraint === 'whitelistValidation') return `${path} is not a known field`;
  // class-validator starts its messages with the bare property name: replace it by the path.
  const sentence = text.startsWith(`${property} `) ? `${path}${text.slice(property.length)}` : `${path}: ${text}`;
  return value === undefined ? `${sentence}, but it is missing` : `${sentence}, got ${show(value)}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
