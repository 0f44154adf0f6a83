import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

// Once, before any schema uses .openapi(): every API schema imports z from here.
extendZodWithOpenApi(z);

export { z };
