// `enforcement/typeorm-in-repositories`: only repositories query the database.
//
// Reports every use of a TypeORM query method (`find*`, `exists*`, `count*`, `insert`, `update`, `save`, `upsert`,
// `delete`, `query`, `createQueryBuilder`, `getRepository`, …) on a TypeORM object: an EntityManager, DataSource,
// Repository or QueryRunner. Services, controllers and consumers call a repository's methods instead and may pass
// a transaction's manager through to it. eslint.config.mjs applies the rule to everything but repositories,
// entities, migrations, specs, test support and benches.
//
// Without type information, a TypeORM object is recognised by how the code names or declares it:
//   - a property or variable named manager, entityManager, dataSource, connection or queryRunner (`tx.manager`,
//     `context.manager`, `this.dataSource`, a destructured `{ manager }`);
//   - a parameter, variable or class member declared with a TypeORM type (`db: DataSource`, `private readonly
//     rows: Repository<X>`), or initialised from a TypeORM object (`const m = tx.manager`, `const { manager: m } = tx`);
//   - what getRepository() or createQueryBuilder() returned.
// The method is reported whether it is called, bound or passed on (`manager.find.bind(manager)`).

const NAMED_METHODS = new Set([
  'average',
  'clear',
  'createQueryBuilder',
  'decrement',
  'delete',
  'getMongoRepository',
  'getRepository',
  'getTreeRepository',
  'increment',
  'insert',
  'maximum',
  'minimum',
  'preload',
  'query',
  'remove',
  'restore',
  'save',
  'softDelete',
  'softRemove',
  'sql',
  'sum',
  'update',
  'upsert',
  'withRepository',
]);
const METHOD_PREFIXES = ['find', 'exists', 'count'];

/** Names that hold a TypeORM object wherever they appear in this code base. */
const TYPEORM_NAMES = new Set(['manager', 'entityManager', 'dataSource', 'connection', 'queryRunner']);
const TYPEORM_TYPES = new Set([
  'Connection',
  'DataSource',
  'EntityManager',
  'MongoRepository',
  'QueryRunner',
  'Repository',
  'SelectQueryBuilder',
  'TreeRepository',
]);
/** Calls whose result is a repository or a query builder. */
const RETURNS_TYPEORM = new Set(['createQueryBuilder', 'getMongoRepository', 'getRepository', 'getTreeRepository', 'withRepository']);

function isQueryMethod(name) {
  if (NAMED_METHODS.has(name)) return true;
  return METHOD_PREFIXES.some((prefix) => name === prefix || (name.startsWith(prefix) && /[A-Z]/.test(name[prefix.length])));
}

/** `x`, `(x as T)`, `x!`, `(await x)`, `x?.` → x. */
function unwrap(node) {
  let current = node;
  for (;;) {
    if (!current) return current;
    if (['TSAsExpression', 'TSNonNullExpression', 'TSSatisfiesExpression', 'TSTypeAssertion'].includes(current.type)) {
      current = current.expression;
    } else if (current.type === 'ChainExpression' || current.type === 'AwaitExpression') {
      current = current.expression ?? current.argument;
    } else {
      return current;
    }
  }
}

function propertyName(member) {
  if (!member.computed && member.property.type === 'Identifier') return member.property.name;
  if (member.computed && member.property.type === 'Literal' && typeof member.property.value === 'string') return member.property.value;
  if (member.computed && member.property.type === 'TemplateLiteral' && member.property.expressions.length === 0) {
    return member.property.quasis[0].value.cooked;
  }
  return undefined;
}

/** Whether a declared type is TypeORM's: `DataSource`, `Repository<X>`, `typeorm.EntityManager`, `EntityManager | undefined`. */
function isTypeOrmType(annotation) {
  const type = annotation?.type === 'TSTypeAnnotation' ? annotation.typeAnnotation : annotation;
  if (!type) return false;
  if (type.type === 'TSUnionType' || type.type === 'TSIntersectionType') return type.types.some(isTypeOrmType);
  // `import('typeorm').EntityManager`
  const reference = type.type === 'TSTypeReference' ? type.typeName : type.type === 'TSImportType' ? type.qualifier : undefined;
  if (!reference) return false;
  return TYPEORM_TYPES.has(reference.type === 'TSQualifiedName' ? reference.right.name : reference.name);
}

function create(context) {
  const sourceCode = context.sourceCode ?? context.getSourceCode();

  /** Whether a declaration site (an identifier that names a binding) holds a TypeORM object. */
  function declaresTypeOrm(nameNode, depth) {
    if (TYPEORM_NAMES.has(nameNode.name) || isTypeOrmType(nameNode.typeAnnotation)) return true;
    const parent = nameNode.parent;
    // `{ manager: m }` or `{ manager }` in a pattern.
    if (parent?.type === 'Property' && parent.value === nameNode) {
      const key = parent.key.type === 'Identifier' ? parent.key.name : parent.key.value;
      if (TYPEORM_NAMES.has(key)) return true;
    }
    if (parent?.type === 'AssignmentPattern' && parent.left === nameNode) {
      return declaresTypeOrm({ ...nameNode, parent: parent.parent }, depth) || isTypeOrm(parent.right, depth + 1);
    }
    if (parent?.type === 'TSParameterProperty') return isTypeOrmType(nameNode.typeAnnotation);
    if (parent?.type === 'VariableDeclarator' && parent.id === nameNode) return isTypeOrm(parent.init, depth + 1);
    return false;
  }

  function variableOf(identifier) {
    let scope = sourceCode.getScope ? sourceCode.getScope(identifier) : context.getScope();
    while (scope) {
      const found = scope.set.get(identifier.name);
      if (found) return found;
      scope = scope.upper;
    }
    return undefined;
  }

  /** `this.<name>` declared in the enclosing class as a TypeORM object (a field or a constructor parameter property). */
  function classMemberIsTypeOrm(member, name, depth) {
    let node = member.parent;
    while (node && node.type !== 'ClassBody') node = node.parent;
    if (!node) return false;
    for (const element of node.body) {
      if (element.type === 'PropertyDefinition' && !element.computed && element.key.name === name) {
        if (isTypeOrmType(element.typeAnnotation) || isTypeOrm(element.value, depth + 1)) return true;
      }
      if (element.type === 'MethodDefinition' && element.kind === 'constructor') {
        for (const param of element.value.params) {
          if (param.type !== 'TSParameterProperty') continue;
          const target = param.parameter.type === 'AssignmentPattern' ? param.parameter.left : param.parameter;
          if (target.name === name && isTypeOrmType(target.typeAnnotation)) return true;
        }
      }
    }
    return false;
  }

  function isTypeOrm(node, depth = 0) {
    const expression = unwrap(node);
    if (!expression || depth > 8) return false;
    switch (expression.type) {
      case 'MemberExpression': {
        const name = propertyName(expression);
        if (name === undefined) return false;
        if (TYPEORM_NAMES.has(name)) return true;
        return expression.object.type === 'ThisExpression' && classMemberIsTypeOrm(expression, name, depth);
      }
      case 'Identifier': {
        if (TYPEORM_NAMES.has(expression.name)) return true;
        const variable = variableOf(expression);
        return !!variable && variable.defs.some((def) => def.name && declaresTypeOrm(def.name, depth));
      }
      case 'CallExpression': {
        const callee = unwrap(expression.callee);
        if (callee?.type !== 'MemberExpression') return false;
        const name = propertyName(callee);
        // A builder's own chain (`.where(...).orderBy(...)`) returns the builder.
        return RETURNS_TYPEORM.has(name) || (isTypeOrm(callee.object, depth + 1) && !isQueryMethod(name ?? ''));
      }
      case 'ConditionalExpression':
        return isTypeOrm(expression.consequent, depth + 1) || isTypeOrm(expression.alternate, depth + 1);
      case 'LogicalExpression':
        return isTypeOrm(expression.left, depth + 1) || isTypeOrm(expression.right, depth + 1);
      default:
        return false;
    }
  }

  function reported(member) {
    const name = propertyName(member);
    return name !== undefined && isQueryMethod(name) && isTypeOrm(member.object);
  }

  return {
    MemberExpression(member) {
      if (!reported(member)) return;
      // `dataSource.getRepository(X).find(...)`: one report, on the innermost use.
      const object = unwrap(member.object);
      if (object.type === 'CallExpression') {
        const callee = unwrap(object.callee);
        if (callee?.type === 'MemberExpression' && reported(callee)) return;
      }
      context.report({ node: member.property, messageId: 'query', data: { method: propertyName(member) } });
    },
  };
}

module.exports = {
  meta: {
    type: 'problem',
    docs: { description: 'TypeORM queries only in *.repository.ts: services, controllers and consumers call repository methods' },
    schema: [],
    messages: {
      query:
        '`{{method}}` queries the database through TypeORM outside a repository: add an intention-revealing method to a *.repository.ts (it may take the transaction’s manager) and call that',
    },
  },
  create,
};
