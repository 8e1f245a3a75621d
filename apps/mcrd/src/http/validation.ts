// The global ValidationPipe: whitelist, forbid unknown fields, transform. One message per bad
// field, naming its full path (`outputs[1].port`) and the bad value: "input.port is required" when
// it is missing, its type rule when it has the wrong type, else the first rule it breaks.
import { BadRequestException, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/** Constraints that say what type a field must have; a value of the wrong type breaks all the rest too. */
const TYPE_CONSTRAINTS = ['isObject', 'isArray', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isTtl'];

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
    const constraints = error.constraints ?? {};
    if (Object.keys(constraints).length > 0) {
      messages.push(fieldMessage(path, error.property, constraints, error.value));
      // A field that is itself wrong says nothing useful about its children.
      continue;
    }
    messages.push(...validationMessages(error.children ?? [], path));
  }
  return messages;
}

function joinPath(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent === '' ? property : `${parent}.${property}`;
}

function fieldMessage(path: string, property: string, constraints: Record<string, string>, value: unknown): string {
  if ('whitelistValidation' in constraints) return `${path} is not a known field`;
  if (value === undefined) return `${path} is required`;
  const names = Object.keys(constraints);
  const chosen = names.find((name) => TYPE_CONSTRAINTS.includes(name)) ?? names[0];
  const text = constraints[chosen];
  // class-validator starts its messages with the bare property name: replace it by the path.
  const sentence = text.startsWith(`${property} `) ? `${path}${text.slice(property.length)}` : `${path}: ${text}`;
  return `${sentence}, got ${show(value)}`;
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
