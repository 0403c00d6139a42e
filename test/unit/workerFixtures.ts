// A small registry and article shared by the worker and index tests.

export const REGISTRY = `# team registry
entities:
  - id: wang-yi
    name: Wang Yi
    type: person
    aliases: [Wang]
  - id: asean
    name: Association of Southeast Asian Nations
    type: organization
    aliases: [ASEAN]
`;

export const ARTICLE = '# Talks\n\nForeign Minister Wang Yi met ASEAN officials in Jakarta on Tuesday.\n\nWang said the two sides agreed to meet annually.\n';
